"""Marketing Cockpit core: everything here runs without Streamlit except lib.ui."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

"""The only part of lib/ that imports Streamlit: state, cache wrappers and shared widgets."""

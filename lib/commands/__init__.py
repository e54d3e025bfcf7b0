"""CLI subcommands of the engines (appraise, okr, attribute, abtest, report ...).

Each module defines COMMANDS = {name: (handler, help, add_arguments, default_format)};
lib.cli merges them into its parser. Handlers take the parsed args and return an exit
code; shared plumbing (open_store, print_json, report_data_problems) is in lib.cli.
"""

"""The rulebook as data (rulebook.yaml), its parameters, and what-if scenario files."""

"""The base layer: errors, problems, the data contract and labels. Imports nothing else of kaohe."""

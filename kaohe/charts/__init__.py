"""Charts (plotly) for the reports and notebooks; see style.py for fonts and offline HTML."""

"""kaohe (考核): scoring and analysis of the annual target-responsibility assessment."""

__version__ = "0.1.0"

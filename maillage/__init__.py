"""maillage: a knowledge graph of social-inclusion and solidarity-economy initiatives in France."""

__version__ = "0.1.0"

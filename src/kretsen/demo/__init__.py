"""Invented demo data for every app: the one package allowed to import them all (decision 0122)."""

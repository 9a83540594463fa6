"""Pocketbook: the family pocketbook, help and social emergency service of a provincial social-development office."""

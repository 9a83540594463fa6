"""The ways a report reaches the social emergency service from outside (today: the LINE Official Account)."""

"""The project's cross-app wiring: what apps of one layer must do for each other, which neither may import."""

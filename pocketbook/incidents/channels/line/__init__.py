"""The LINE Official Account: webhook, event storage, chat flow in Thai, and the client that answers."""

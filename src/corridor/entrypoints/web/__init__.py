"""The coordination cell's screen: server-rendered pages over the same views as the API."""

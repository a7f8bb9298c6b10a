"""The live operations REST API (FastAPI): `create_app(context)`."""

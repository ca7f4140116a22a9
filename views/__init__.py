"""The dashboard's view layer: Streamlit pages around the pure core in ``sim``."""

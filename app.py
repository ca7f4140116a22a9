"""coercion-sim dashboard: ``streamlit run app.py``."""

from views.app_main import main

main()

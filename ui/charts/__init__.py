"""Chart builders: pure functions from engine results to plotly figures (no ``st.*`` calls here)."""

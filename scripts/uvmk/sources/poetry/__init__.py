"""Poetry 1.x ([tool.poetry]) and 2.x (PEP 621 + [tool.poetry.*]) → uv's pyproject."""

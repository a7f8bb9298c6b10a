"""The situation report as HTML and PDF: words, charts, map and one template."""

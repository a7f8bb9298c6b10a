"""Export writers: HXL-tagged CSV (libhxl), GeoJSON, the situation report (HTML and PDF)."""

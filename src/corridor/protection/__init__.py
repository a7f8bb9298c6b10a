"""Protection: person records, encryption, access rules for personal data."""

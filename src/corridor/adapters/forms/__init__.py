"""ODK and KoboToolbox: XLSForms written for an operation, and their submissions read back."""

"""Exports: reports as typed rows (`rows`), rendered to Excel (`xlsx`), PDF (`pdf`) and Word
(`docx`). Not an app: no models; the PDF template lives in thidua/templates/exports/."""

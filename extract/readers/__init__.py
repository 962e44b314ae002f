"""Document readers (HTML, PDF, text, folders) -> plain text for the extractors (owned by extract-readers)."""

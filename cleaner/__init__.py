"""cleaner: strip boilerplate from scraped web documents, with an audit of every removal."""

from .api import Cleaner, Result, clean_text
from .document import Document, EmptyInput, Failure, Paragraph, Removal, SkippedInput
from .options import Options

__all__ = ["Cleaner", "Document", "EmptyInput", "Failure", "Options", "Paragraph", "Removal", "Result", "SkippedInput",
           "clean_text"]
__version__ = "0.1.0"

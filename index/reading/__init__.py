"""Reading articles: file formats, pasted pages, text clean-up, sentences and passages."""

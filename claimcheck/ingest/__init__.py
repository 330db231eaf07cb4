"""Reading copy (text, Markdown, HTML, URLs, crawl records) into Documents. Imports: core."""

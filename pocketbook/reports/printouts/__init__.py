"""The printouts (Thai A4 PDFs made by `core.pdf.render_pdf`): the household's pocketbook, the incident report and
the monthly summary of an area. Each module gathers one printout's context through the other apps' selectors
(given the viewer, scoped) or, for the summary, from the reports' counters only; `views` renders them."""

"""Questions: one module per question the suite answers, each computing its
results from a `Bank` with the estimators of `analysis.stats`. Words live in
`analysis.words`, figures in `analysis.figures`."""

"""Statistics: estimators only. Arrays or frames in, fitted objects out
(`fit()` returns self, fitted values end in `_`, `summary` is a DataFrame);
no Bank, no language, no figures."""

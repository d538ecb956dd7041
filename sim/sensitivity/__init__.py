"""Sensitivity to assumptions: declared ranges (`ranges`) and the SALib design and indices (`analysis`)."""

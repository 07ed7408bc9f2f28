"""Figures: the house style and one module per question's figures."""

"""The sample bank: a generator of data in the contract's shape with known,
planted effects (`planted`) that the tests recover."""

from analysis.sample.generate import generate

__all__ = ["generate"]

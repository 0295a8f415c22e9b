//! Shared helpers for masker benchmarks.

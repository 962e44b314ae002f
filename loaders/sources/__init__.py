"""Public files loaded with `maillage load`: SCDL subventions (scdl), data·inclusion structures
(data_inclusion), the shared CSV reading and identifier checks (tabular), and the kept copies of
loaded files with their manifests (manifest)."""

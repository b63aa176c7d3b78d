"""What the repository has today, read and never written: snapshot (the Survey), and the
readers it is put together from (pyproject_text, requirement_files, readers, venvs,
python_evidence, python_versions, git_ignored, text_files; model holds their records)."""

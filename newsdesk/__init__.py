"""Tooling behind the Hớn Quản poverty-reduction column: vocabulary, content rules, builds."""

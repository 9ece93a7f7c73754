"""Assessment instruments as data. Public entry points (implemented in registry.py/engine.py):

- ``get_instrument(code, version=None) -> Instrument`` (latest active version when None; raises
  ``LookupError`` for an unknown code or version)
- ``list_instruments() -> list[Instrument]`` (latest version of each, shipped and custom)
- ``evaluate(instrument, answers, context) -> Outcome`` (raises ``AnswerErrors``)
- ``parse_definition(text, fmt) -> Instrument`` (raises ``DefinitionError`` with line numbers)
"""

"""One module per family of rules that find claim spans in a sentence."""

"""The story bank: the story file format, the bank folder, story types and company profiles."""

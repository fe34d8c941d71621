"""Write: outputs switched in together, under the build lock."""

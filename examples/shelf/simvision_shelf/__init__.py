"""Products on a retail shelf: an example of a scene kind that lives outside simvision, as an installed plugin."""

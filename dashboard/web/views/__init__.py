"""One module per view of the main area, beside the timeline (figures.py): the chronology of
happenings, the comparison of outlets, and a story's page. Each has a pure part (the rows it
shows, from the store and the filters) and the components that show them."""

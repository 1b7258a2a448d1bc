"""Reading a data set: files and sheets, cells as offices type them, validation, working days."""

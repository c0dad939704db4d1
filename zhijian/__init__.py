"""The `zhijian` program: the command line that puts the packages to work.

It sits above everything else (`inspection`, `coaching`, `models`, `api`) and nothing imports it.
"""

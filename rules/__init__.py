"""rule packs: YAML data only"""

"""The synthetic demo portal of the invented municipality "Demovik kommune", for trying the
portal out, for the benchmarks and for tests (`prioportal demo`).

`portal` plans the rounds and writes the files; `measures` makes one measure, `frame` the
criteria, rounds, pages and mkdocs.yml around them, from the municipality's service areas
(`municipality`) and phrases (`phrases`); `yaml_writer` writes them as YAML.
"""

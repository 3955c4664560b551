"""物业进社区, property management in the community: the property companies (物业公司) serving the courtyards, their
cleaners and the owners' committees (业委会); the property hotline's repairs (专门电话, 随叫随到) with a promise
per company; and the street office's appraisal of mixed-courtyard property management (杂居院物业管理考评) that ranks
the companies for the district's competition mechanism."""

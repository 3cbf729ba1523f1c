enum StagesPlaceholder {}

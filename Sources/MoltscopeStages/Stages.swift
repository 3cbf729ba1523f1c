import MoltscopeCore

/// The stages this build of moltscope has, for the engine and the command line.
public enum Stages {
    public static let registry = StageRegistry([CrawlStage.descriptor, CleanStage.descriptor, EmbedStage.descriptor,
                                                         ClusterStage.descriptor, LabelStage.descriptor, TemporalStage.descriptor,
                                                         ReportStage.descriptor])
}

using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// What one served version of a CustomResourceDefinition adds to its <see cref="Resources.ResourceType"/>:
/// the structural schema, the printer columns and the subresources' paths.
/// </summary>
/// <param name="DefinitionName">metadata.name of the CRD ("crontabs.stable.example.com").</param>
/// <param name="Schema">spec.versions[].schema.openAPIV3Schema; null when the version has none.</param>
/// <param name="PrinterColumns">additionalPrinterColumns, in order.</param>
/// <param name="Scale">The scale subresource's paths; null without one.</param>
/// <param name="StorageVersion">The version objects are stored in (apiVersion rewritten to it, conversion None).</param>
public sealed record CustomResourceVersion(
    string DefinitionName,
    JsonObject? Schema,
    IReadOnlyList<PrinterColumn> PrinterColumns,
    ScalePaths? Scale,
    string StorageVersion)
{
    /// <summary>Whether the schema has x-kubernetes-validations rules (CEL), evaluated on every write.</summary>
    public bool HasValidationRules { get; init; }

    /// <summary>The definition is being deleted: its objects are being removed and no new one may be created.</summary>
    public bool Terminating { get; init; }
}

/// <summary>A CustomResourceColumnDefinition.</summary>
public sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string JsonPath);

/// <summary>A CustomResourceSubresourceScale: where replicas and the selector live in the custom object.</summary>
public sealed record ScalePaths(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

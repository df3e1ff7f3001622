using Amazon.Runtime;
using Amazon.S3;

namespace GovMail.Storage.Blobs;

/// <summary>
/// Where message bodies live (section <c>Blobs</c> of <c>govmail.json</c>, or <c>GOVMAIL__BLOBS__KIND=s3</c> …): a folder
/// (<c>file</c>, the default: <c>DATA/blobs</c>, or <see cref="Path"/> on a filesystem every node mounts) or a bucket of an
/// S3-compatible object store (<c>s3</c>: Amazon S3, MinIO, Ceph RGW, a provider's object storage).
/// </summary>
public sealed class BlobStoreOptions
{
    /// <summary><c>file</c> (default) or <c>s3</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>For <c>file</c>: the folder (default: <c>blobs</c> in the data folder).</summary>
    public string? Path { get; set; }

    /// <summary>For <c>s3</c>: the service address, e.g. <c>https://s3.hcm.gov.vn</c>; empty means Amazon S3 in <see cref="Region"/>.</summary>
    public string? Endpoint { get; set; }

    public string? Bucket { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>The signing region (default <c>us-east-1</c>, which most S3-compatible servers accept).</summary>
    public string? Region { get; set; }

    /// <summary>Path-style addresses (<c>https://host/bucket/key</c>) rather than virtual hosts (<c>https://bucket.host/key</c>); default true.</summary>
    public bool PathStyle { get; set; } = true;

    /// <summary>Prepended to every object name (e.g. <c>govmail/</c>), so one bucket can hold other things too.</summary>
    public string? Prefix { get; set; }

    /// <summary>Bodies larger than this go up as a multipart upload in parts of this size (at least 5, the S3 minimum; default 8).</summary>
    public int PartSizeMegabytes { get; set; } = 8;

    public bool IsS3 => string.Equals(Kind?.Trim(), "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder of a <c>file</c> store.</summary>
    public string DirectoryIn(string dataDirectory) =>
        string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(dataDirectory, "blobs") : System.IO.Path.GetFullPath(Path);

    /// <summary>What is wrong with these settings (a message code and its argument), or null when they can be used.</summary>
    public (string Code, object? Argument)? Problem()
    {
        if (!string.IsNullOrWhiteSpace(Kind) && !IsS3 && !string.Equals(Kind.Trim(), "file", StringComparison.OrdinalIgnoreCase))
            return ("BlobKindUnknown", Kind);
        if (!IsS3) return null;
        if (string.IsNullOrWhiteSpace(Bucket)) return ("BlobS3SettingMissing", "Blobs:Bucket");
        if (string.IsNullOrWhiteSpace(AccessKey)) return ("BlobS3SettingMissing", "Blobs:AccessKey");
        if (string.IsNullOrWhiteSpace(SecretKey)) return ("BlobS3SettingMissing", "Blobs:SecretKey");
        if (!string.IsNullOrWhiteSpace(Endpoint) && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _)) return ("BlobS3EndpointInvalid", Endpoint);
        if (PartSizeMegabytes < 5) return ("BlobS3PartSizeTooSmall", PartSizeMegabytes);
        return null;
    }

    /// <summary>The store these settings name; call <see cref="Problem"/> first.</summary>
    public IBlobStore Open(string dataDirectory) => IsS3 ? OpenS3() : new FileBlobStore(DirectoryIn(dataDirectory));

    private S3BlobStore OpenS3()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = PathStyle,
            AuthenticationRegion = string.IsNullOrWhiteSpace(Region) ? "us-east-1" : Region,
            // Checksums only where S3 requires them: S3-compatible servers do not all know the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrWhiteSpace(Endpoint)) config.ServiceURL = Endpoint;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(string.IsNullOrWhiteSpace(Region) ? "us-east-1" : Region);
        var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), config);
        return new S3BlobStore(client, Bucket!, Prefix ?? "", PartSizeMegabytes * 1024 * 1024);
    }
}

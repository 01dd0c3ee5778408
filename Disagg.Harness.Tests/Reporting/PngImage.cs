using System.Buffers.Binary;
using System.IO.Compression;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// A minimal PNG decoder for screenshot checks: 8-bit RGB/RGBA (what Chromium writes), non-interlaced. It reads
/// IHDR, inflates the IDAT stream with <see cref="ZLibStream"/> and undoes the five scanline filters.
/// </summary>
internal sealed class PngImage
{
    public int Width { get; }
    public int Height { get; }
    private readonly byte[] _rgb; // 3 bytes per pixel, row-major

    private PngImage(int width, int height, byte[] rgb) { Width = width; Height = height; _rgb = rgb; }

    public (byte R, byte G, byte B) this[int x, int y] { get { var i = (y * Width + x) * 3; return (_rgb[i], _rgb[i + 1], _rgb[i + 2]); } }

    public static PngImage Load(string path)
    {
        var data = File.ReadAllBytes(path);
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException($"{path} is not a PNG");
        int width = 0, height = 0, colorType = 0, pos = 8;
        using var idat = new MemoryStream();
        while (pos + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(data, pos + 4, 4);
            var body = data.AsSpan(pos + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    var bitDepth = body[8];
                    colorType = body[9];
                    if (bitDepth != 8 || colorType is not (2 or 6) || body[12] != 0)
                        throw new NotSupportedException($"PNG bit depth {bitDepth}, color type {colorType}, interlace {body[12]} is not supported");
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
            }
            if (type == "IEND") break;
            pos += 12 + length;
        }
        var bpp = colorType == 6 ? 4 : 3;
        var stride = width * bpp;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.ReadExactly(raw);

        var rgb = new byte[width * height * 3];
        var prev = new byte[stride];
        var cur = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Array.Copy(raw, y * (stride + 1) + 1, cur, 0, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                cur[i] = (byte)(cur[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter} on row {y}"),
                });
            }
            for (var x = 0; x < width; x++)
            {
                // Composite alpha over white, as a viewer would show it.
                var alpha = bpp == 4 ? cur[x * 4 + 3] : 255;
                for (var ch = 0; ch < 3; ch++)
                    rgb[(y * width + x) * 3 + ch] = (byte)((cur[x * bpp + ch] * alpha + 255 * (255 - alpha)) / 255);
            }
            (prev, cur) = (cur, prev);
        }
        return new PngImage(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

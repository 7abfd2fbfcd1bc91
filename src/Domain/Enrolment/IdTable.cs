using System.Buffers;
using System.Numerics;

namespace Cohorts.Domain.Enrolment;

/// <summary>
/// The ids a diff has met, each with two numbers of the diff's own: an open-addressing table that keeps the ids'
/// characters in one array instead of a string each. An import's ids live as long as its read; as strings, every
/// collection during the read copied the ids read since the one before, and a 100k-row read spent a fifth of its time
/// in such pauses. Hashes are the runtime's randomized string hashes, so a file cannot be made to collide. Its arrays
/// (a few megabytes for 100k ids) come from the shared pools and go back on <see cref="Dispose"/>: a server imports
/// again and again, and fresh large arrays each time were memory the system had to hand over and zero anew.
/// </summary>
internal sealed class IdTable : IDisposable
{
    // per slot the top eight bits of the id's hash and its entry's index + 1 (the low 24 bits), or 0 for an empty slot: a
    // probe compares those bits without reading the entry (one in 256 reads it for nothing); 32 bits a slot keep a
    // 100k-id table's slots in a megabyte; a power of two long, at most half full
    private const int IndexBits = 24;
    private const int MaxEntries = (1 << IndexBits) - 1;
    private int[] slots;
    private Entry[] entries;
    private char[] characters;
    private int used; // characters used

    public IdTable(int expected)
    {
        int capacity = Math.Max(expected, 16);
        slots = ArrayPool<int>.Shared.Rent((int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)capacity * 2), 1u << 30));
        Array.Clear(slots); // a pooled array holds what its last user left; a rented one may be longer, a power of two still
        entries = ArrayPool<Entry>.Shared.Rent(capacity);
        characters = ArrayPool<char>.Shared.Rent(capacity * 8);
    }

    /// <summary>How many ids the table holds.</summary>
    public int Count { get; private set; }

    /// <summary>The numbers kept for <paramref name="id"/>, added as zeros when the id is new; valid until the next add.</summary>
    public ref Entry GetOrAdd(string id, out bool existed)
    {
        int hash = string.GetHashCode(id.AsSpan());
        int mask = slots.Length - 1;
        int slot = hash & mask;
        int tag = Tag(hash);
        for (int taken = slots[slot]; taken != 0; taken = slots[slot])
        {
            if ((taken & ~MaxEntries) == tag)
            {
                ref Entry entry = ref entries[(taken & MaxEntries) - 1];
                if (characters.AsSpan(entry.Start, entry.Length).SequenceEqual(id))
                {
                    existed = true;
                    return ref entry;
                }
            }

            slot = (slot + 1) & mask;
        }

        existed = false;
        if (Count == MaxEntries)
        {
            throw new InvalidOperationException($"A source may list at most {MaxEntries} people.");
        }

        if (Count == entries.Length)
        {
            entries = Larger(entries, entries.Length * 2, Count);
        }

        if (used + id.Length > characters.Length)
        {
            characters = Larger(characters, Math.Max(characters.Length * 2, used + id.Length), used);
        }

        id.CopyTo(characters.AsSpan(used));
        int index = Count++;
        entries[index] = new Entry { Hash = hash, Start = used, Length = id.Length };
        used += id.Length;
        slots[slot] = Slot(hash, index);
        if (Count * 2 > slots.Length)
        {
            Grow();
        }

        return ref entries[index];
    }

    /// <summary>Whether the table holds <paramref name="id"/>.</summary>
    public bool Contains(string id)
    {
        int hash = string.GetHashCode(id.AsSpan());
        int mask = slots.Length - 1;
        int tag = Tag(hash);
        for (int slot = hash & mask; slots[slot] != 0; slot = (slot + 1) & mask)
        {
            int taken = slots[slot];
            if ((taken & ~MaxEntries) == tag)
            {
                ref Entry entry = ref entries[(taken & MaxEntries) - 1];
                if (characters.AsSpan(entry.Start, entry.Length).SequenceEqual(id))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Gives the table's arrays back to the pools; the table is not used after.</summary>
    public void Dispose()
    {
        if (slots.Length == 0)
        {
            return; // given back already
        }

        ArrayPool<int>.Shared.Return(slots);
        ArrayPool<Entry>.Shared.Return(entries);
        ArrayPool<char>.Shared.Return(characters);
        slots = [];
        entries = [];
        characters = [];
    }

    private static T[] Larger<T>(T[] array, int length, int used)
    {
        T[] larger = ArrayPool<T>.Shared.Rent(length);
        array.AsSpan(0, used).CopyTo(larger);
        ArrayPool<T>.Shared.Return(array);
        return larger;
    }

    private void Grow()
    {
        ArrayPool<int>.Shared.Return(slots);
        slots = ArrayPool<int>.Shared.Rent(slots.Length * 2);
        Array.Clear(slots);
        int mask = slots.Length - 1;
        for (int index = 0; index < Count; index++)
        {
            int slot = entries[index].Hash & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = Slot(entries[index].Hash, index);
        }
    }

    private static int Tag(int hash) => hash & ~MaxEntries;

    private static int Slot(int hash, int index) => Tag(hash) | (index + 1);

    /// <summary>An id's place in the table and the two numbers the diff keeps for it.</summary>
    internal struct Entry
    {
        public int Hash;
        public int Start;
        public int Length;

        /// <summary>The diff's bits for the id.</summary>
        public int Bits;

        /// <summary>The diff's triage tally for the id, plus one (0: none).</summary>
        public int Tally;
    }
}

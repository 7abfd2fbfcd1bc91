namespace Cohorts.Domain.Enrolment;

/// <summary>
/// The ids a diff has met, each with two numbers of the diff's own: an open-addressing table that keeps the ids'
/// characters in one array instead of a string each. An import's ids live as long as its read; as strings, every
/// collection during the read copied the ids read since the one before, and a 100k-row read spent a fifth of its time
/// in such pauses. Hashes are the runtime's randomized string hashes, so a file cannot be made to collide.
/// </summary>
internal sealed class IdTable
{
    // per slot the id's hash (high half) and its entry's index + 1 (low half), or 0 for an empty slot: a probe compares
    // hashes without reading the entry; a power of two long, at most half full
    private long[] slots;
    private Entry[] entries;
    private char[] characters;
    private int used; // characters used

    public IdTable(int expected)
    {
        int capacity = Math.Max(expected, 16);
        slots = new long[(int)Math.Min(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2), 1u << 30)];
        entries = new Entry[capacity];
        characters = new char[capacity * 8];
    }

    /// <summary>How many ids the table holds.</summary>
    public int Count { get; private set; }

    /// <summary>The numbers kept for <paramref name="id"/>, added as zeros when the id is new; valid until the next add.</summary>
    public ref Entry GetOrAdd(string id, out bool existed)
    {
        int hash = string.GetHashCode(id.AsSpan());
        int mask = slots.Length - 1;
        int slot = hash & mask;
        for (long taken = slots[slot]; taken != 0; taken = slots[slot])
        {
            if ((int)(taken >> 32) == hash)
            {
                ref Entry entry = ref entries[(int)taken - 1];
                if (characters.AsSpan(entry.Start, entry.Length).SequenceEqual(id))
                {
                    existed = true;
                    return ref entry;
                }
            }

            slot = (slot + 1) & mask;
        }

        existed = false;
        if (Count == entries.Length)
        {
            Array.Resize(ref entries, entries.Length * 2);
        }

        if (used + id.Length > characters.Length)
        {
            Array.Resize(ref characters, Math.Max(characters.Length * 2, used + id.Length));
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
        for (int slot = hash & mask; slots[slot] != 0; slot = (slot + 1) & mask)
        {
            long taken = slots[slot];
            if ((int)(taken >> 32) == hash)
            {
                ref Entry entry = ref entries[(int)taken - 1];
                if (characters.AsSpan(entry.Start, entry.Length).SequenceEqual(id))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void Grow()
    {
        slots = new long[slots.Length * 2];
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

    private static long Slot(int hash, int index) => ((long)hash << 32) | (uint)(index + 1);

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

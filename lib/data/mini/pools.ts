/**
 * Value pools of the toolrl-mini world: the strings that fill string and list parameters. Plain
 * ASCII without quotes or backslashes, so a value is written the same in the request and in the
 * gold JSON (the model learns to copy, not to escape). Pools are shared by the train and held-out
 * tools: values are not tools; the held-out split hides tool and parameter *names*.
 */
import type { Rng } from '../rng';

export const POOLS = {
  city: [
    'Paris', 'Rome', 'Berlin', 'Madrid', 'Lisbon', 'Vienna', 'Prague', 'Dublin', 'Oslo', 'Athens',
    'Tokyo', 'Seoul', 'Lima', 'Cairo', 'Nairobi', 'Toronto', 'Chicago', 'Denver', 'Boston', 'Austin',
    'Sydney', 'Perth', 'Mumbai', 'Bangkok', 'Hanoi', 'Quito', 'Zurich', 'Krakow', 'Seattle', 'Miami',
  ],
  country: [
    'France', 'Japan', 'Brazil', 'Canada', 'Kenya', 'India', 'Mexico', 'Norway', 'Egypt', 'Peru',
    'Chile', 'Spain', 'Italy', 'Vietnam', 'Ireland', 'Greece', 'Morocco', 'Thailand', 'Germany', 'Portugal',
  ],
  airport: ['JFK', 'LAX', 'CDG', 'LHR', 'FRA', 'AMS', 'MAD', 'FCO', 'NRT', 'SFO', 'ORD', 'DXB', 'SIN', 'YYZ', 'BOS', 'SEA'],
  firstName: ['Maria', 'John', 'Aisha', 'Chen', 'Lucas', 'Emma', 'Omar', 'Sofia', 'Ivan', 'Priya', 'Noah', 'Lena', 'Kofi', 'Yuki', 'Diego', 'Hana'],
  fullName: [
    'Maria Lopez', 'John Smith', 'Aisha Khan', 'Chen Wei', 'Lucas Martin', 'Emma Brown', 'Omar Haddad',
    'Sofia Rossi', 'Ivan Petrov', 'Priya Nair', 'Noah Miller', 'Lena Fischer', 'Kofi Mensah', 'Yuki Tanaka',
  ],
  email: ['maria@mail.com', 'john@work.org', 'aisha@mail.com', 'chen@team.io', 'lucas@work.org', 'emma@mail.com', 'omar@team.io', 'sofia@mail.com'],
  phone: ['555-0142', '555-0199', '555-0113', '555-0178', '555-0126', '555-0164', '555-0187', '555-0135'],
  eventTitle: [
    'team sync', 'dentist visit', 'yoga class', 'budget review', 'lunch with Sam', 'project kickoff',
    'parent evening', 'guitar lesson', 'design review', 'book club', 'car service', 'quarterly planning',
  ],
  ticker: ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'TSLA', 'NVDA', 'META', 'IBM', 'ORCL', 'INTC', 'NFLX', 'SHOP'],
  note: ['rent for May', 'dinner last night', 'concert tickets', 'birthday gift', 'taxi share', 'book money', 'gym fees'],
  topic: [
    'electric cars', 'healthy breakfast ideas', 'the history of jazz', 'solar panels', 'learning to code',
    'cheap flights to Asia', 'how bees make honey', 'ancient Rome', 'home workouts', 'the tallest mountains',
    'black holes', 'sourdough bread', 'chess openings', 'remote work tips',
  ],
  word: ['serendipity', 'ephemeral', 'ubiquitous', 'resilient', 'meticulous', 'candid', 'benevolent', 'eloquent', 'frugal', 'nostalgia', 'whimsical', 'tenacious'],
  phrase: ['good morning', 'where is the station', 'thank you very much', 'see you tomorrow', 'how much does it cost', 'I am hungry', 'the weather is nice', 'happy birthday'],
  subject: ['Quarterly report', 'Lunch on Friday', 'Trip plans', 'Invoice 2291', 'Welcome aboard', 'Project update', 'Weekend hike', 'Meeting notes'],
  smsText: ['running late', 'call me back', 'see you at 6', 'the keys are on the table', 'dinner is ready', 'on my way', 'happy birthday'],
  reminderTask: ['call mom', 'water the plants', 'take my medicine', 'check the oven', 'stretch', 'submit the report', 'walk the dog', 'buy milk'],
  channel: ['#general', '#design', '#random', '#releases', '#support', '#marketing', '#backend', '#events'],
  channelMessage: ['standup moved to 10', 'the build is green', 'lunch is on us today', 'new release is out', 'office closed Monday', 'welcome our new teammate'],
  product: ['running shoes', 'wireless headphones', 'a desk lamp', 'a yoga mat', 'a coffee grinder', 'a backpack', 'a phone case', 'a water bottle', 'a rain jacket', 'a board game'],
  orderCode: ['A7K2Q9', 'B3M8T1', 'C9X4P6', 'D2R7W5', 'E6H1L3', 'F8N5Z2', 'G4V9J7', 'H1S3D8'],
  voucherCode: ['SAVE10', 'SPRING25', 'WELCOME5', 'FREESHIP', 'VIP20', 'HOLIDAY15', 'FLASH30'],
  movie: ['Dune', 'Inception', 'Arrival', 'Coco', 'Up', 'Heat', 'Alien', 'Amelie', 'Parasite', 'Rocky', 'Jaws', 'Frozen'],
  song: ['Yesterday', 'Imagine', 'Hallelujah', 'Wonderwall', 'Vogue', 'Hurt', 'Creep', 'Jolene', 'Africa', 'Toxic'],
  artist: ['The Beatles', 'Adele', 'Queen', 'Coldplay', 'Dolly Parton', 'Radiohead', 'Madonna', 'Prince', 'Shakira', 'Bjork'],
  podcast: ['Daily Brief', 'Science Hour', 'Money Talk', 'History Bites', 'Tech Weekly', 'Mind Matters', 'Story Time'],
  dish: ['lasagna', 'pad thai', 'tacos', 'ramen', 'paella', 'curry', 'risotto', 'pancakes', 'falafel', 'dumplings', 'burritos', 'sushi'],
  food: ['an apple', 'a banana', 'oatmeal', 'rice', 'chicken breast', 'a boiled egg', 'yogurt', 'almonds', 'salmon', 'toast'],
  restaurant: ['Luigi Trattoria', 'Green Bowl', 'Taco Town', 'Sakura House', 'Spice Route', 'The Burger Barn', 'Noodle Bar', 'Casa Maya'],
} as const satisfies Record<string, readonly string[]>;

export type PoolName = keyof typeof POOLS | 'date' | 'time';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * One value from a pool; `date` (`Mar 14`: short, as a prompt of 384 tokens needs) and `time`
 * (`18:30`) are generated.
 */
export function drawFromPool(rng: Rng, pool: PoolName): string {
  if (pool === 'date') {
    const m = rng.int(12);
    return `${MONTHS[m]} ${1 + rng.int(MONTH_DAYS[m])}`;
  }
  if (pool === 'time') return `${String(7 + rng.int(14)).padStart(2, '0')}:${rng.pick(['00', '15', '30', '45'])}`;
  return rng.pick(POOLS[pool]);
}
